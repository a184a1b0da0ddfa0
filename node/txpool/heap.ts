/** A binary min-heap under `before` (the element that should come out first is "before" the others). */
export class Heap<T> {
  private readonly items: T[] = []

  constructor(private readonly before: (a: T, b: T) => boolean) {}

  get size(): number {
    return this.items.length
  }

  push(item: T): void {
    this.items.push(item)
    this.siftUp(this.items.length - 1)
  }

  pop(): T | undefined {
    const top = this.items[0]
    const last = this.items.pop()
    if (this.items.length > 0 && last !== undefined) {
      this.items[0] = last
      this.siftDown(0)
    }
    return top
  }

  private siftUp(index: number): void {
    let child = index
    while (child > 0) {
      const parent = (child - 1) >> 1
      if (!this.before(this.items[child], this.items[parent])) return
      this.swap(child, parent)
      child = parent
    }
  }

  private siftDown(index: number): void {
    let parent = index
    for (;;) {
      const left = 2 * parent + 1
      const right = left + 1
      let first = parent
      if (left < this.items.length && this.before(this.items[left], this.items[first])) first = left
      if (right < this.items.length && this.before(this.items[right], this.items[first])) first = right
      if (first === parent) return
      this.swap(parent, first)
      parent = first
    }
  }

  private swap(i: number, j: number): void {
    const item = this.items[i]
    this.items[i] = this.items[j]
    this.items[j] = item
  }
}
