// Generated from IAttribution.sol by precompiles/scripts/generateAbis.ts; do not edit.
export const iAttributionAbi = [
  {
    "inputs": [
      {
        "internalType": "uint256",
        "name": "length",
        "type": "uint256"
      },
      {
        "internalType": "uint256",
        "name": "max",
        "type": "uint256"
      }
    ],
    "name": "CalldataTooLong",
    "type": "error"
  },
  {
    "inputs": [],
    "name": "DelegateCallRefused",
    "type": "error"
  },
  {
    "inputs": [
      {
        "internalType": "bytes4",
        "name": "selector",
        "type": "bytes4"
      }
    ],
    "name": "InvalidArguments",
    "type": "error"
  },
  {
    "inputs": [
      {
        "internalType": "uint256",
        "name": "requested",
        "type": "uint256"
      },
      {
        "internalType": "uint256",
        "name": "max",
        "type": "uint256"
      }
    ],
    "name": "InvalidMaxContributors",
    "type": "error"
  },
  {
    "inputs": [
      {
        "internalType": "uint64",
        "name": "modelId",
        "type": "uint64"
      }
    ],
    "name": "ModelNotFound",
    "type": "error"
  },
  {
    "inputs": [
      {
        "internalType": "bytes4",
        "name": "selector",
        "type": "bytes4"
      },
      {
        "internalType": "uint256",
        "name": "value",
        "type": "uint256"
      }
    ],
    "name": "NotPayable",
    "type": "error"
  },
  {
    "inputs": [
      {
        "internalType": "uint256",
        "name": "length",
        "type": "uint256"
      },
      {
        "internalType": "uint256",
        "name": "max",
        "type": "uint256"
      }
    ],
    "name": "OutputTooLong",
    "type": "error"
  },
  {
    "inputs": [
      {
        "internalType": "uint256",
        "name": "read",
        "type": "uint256"
      },
      {
        "internalType": "uint256",
        "name": "max",
        "type": "uint256"
      }
    ],
    "name": "PostingsCapExceeded",
    "type": "error"
  },
  {
    "inputs": [
      {
        "internalType": "uint256",
        "name": "index",
        "type": "uint256"
      },
      {
        "internalType": "uint64",
        "name": "shingle",
        "type": "uint64"
      }
    ],
    "name": "RepeatedShingle",
    "type": "error"
  },
  {
    "inputs": [
      {
        "internalType": "string",
        "name": "field",
        "type": "string"
      },
      {
        "internalType": "uint256",
        "name": "length",
        "type": "uint256"
      },
      {
        "internalType": "uint256",
        "name": "max",
        "type": "uint256"
      }
    ],
    "name": "TooLong",
    "type": "error"
  },
  {
    "inputs": [
      {
        "internalType": "bytes4",
        "name": "selector",
        "type": "bytes4"
      }
    ],
    "name": "UnknownFunction",
    "type": "error"
  },
  {
    "inputs": [
      {
        "internalType": "bytes4",
        "name": "selector",
        "type": "bytes4"
      }
    ],
    "name": "WriteInStaticCall",
    "type": "error"
  },
  {
    "inputs": [],
    "name": "limits",
    "outputs": [
      {
        "components": [
          {
            "internalType": "uint32",
            "name": "maxOutputShingles",
            "type": "uint32"
          },
          {
            "internalType": "uint32",
            "name": "maxContributors",
            "type": "uint32"
          },
          {
            "internalType": "uint32",
            "name": "maxPostingsRead",
            "type": "uint32"
          },
          {
            "internalType": "uint32",
            "name": "runBonusCap",
            "type": "uint32"
          }
        ],
        "internalType": "struct IAttribution.Limits",
        "name": "",
        "type": "tuple"
      }
    ],
    "stateMutability": "view",
    "type": "function"
  },
  {
    "inputs": [
      {
        "internalType": "uint64",
        "name": "modelId",
        "type": "uint64"
      },
      {
        "internalType": "uint64[]",
        "name": "outputFingerprint",
        "type": "uint64[]"
      },
      {
        "internalType": "uint256",
        "name": "maxContributors",
        "type": "uint256"
      }
    ],
    "name": "score",
    "outputs": [
      {
        "internalType": "uint64[]",
        "name": "contributionIds",
        "type": "uint64[]"
      },
      {
        "internalType": "uint32[]",
        "name": "weightsPpm",
        "type": "uint32[]"
      }
    ],
    "stateMutability": "view",
    "type": "function"
  }
] as const
