/** The demo's data: three contributed documents and a model output that quotes two of them. */

export interface Document {
  title: string
  uri: string
  text: string
}

export const DOCUMENTS: readonly Document[] = [
  {
    title: 'Heat pumps in cold climates',
    uri: 'ipfs://demo/heat-pumps',
    text:
      'A modern air-source heat pump keeps working well below freezing. At minus fifteen degrees Celsius a cold-climate ' +
      'unit still delivers about two units of heat for every unit of electricity it draws, because it moves heat rather ' +
      'than making it. The weak point is defrosting: frost on the outdoor coil has to be melted every hour or so, and a ' +
      'well-sized system plans for those minutes.',
  },
  {
    title: 'Batteries on the grid',
    uri: 'ipfs://demo/grid-batteries',
    text:
      'Grid batteries earn most of their keep in the first seconds of a fault. When a large generator trips, a battery ' +
      'can inject full power within a few hundred milliseconds, long before a gas turbine has even begun to ramp. Four ' +
      'hours of storage is now the common design, enough to carry the solar surplus of the afternoon into the evening peak.',
  },
  {
    title: 'Peatland restoration',
    uri: 'ipfs://demo/peatlands',
    text:
      'Drained peatlands cover a small share of the land but release a large share of its carbon. Blocking the old ' +
      'drainage ditches raises the water table again, sphagnum moss returns within a few seasons, and the peat stops ' +
      'oxidising. Rewetted bogs also hold back flood water and shelter birds that had left the drained fields.',
  },
]

/** The model's answer: one sentence of its own, then the heat-pump and battery documents quoted. */
export const INFERENCE_OUTPUT =
  'Two facts matter for an all-electric winter. First, at minus fifteen degrees Celsius a cold-climate unit still ' +
  'delivers about two units of heat for every unit of electricity it draws, because it moves heat rather than making ' +
  'it. Second, when a large generator trips, a battery can inject full power within a few hundred milliseconds, long ' +
  'before a gas turbine has even begun to ramp.'

/** Which documents INFERENCE_OUTPUT quotes, by index in DOCUMENTS. */
export const QUOTED = [0, 1] as const

