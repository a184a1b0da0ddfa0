// Generated from IModelRegistry.sol by precompiles/scripts/generateAbis.ts; do not edit.
export const iModelRegistryAbi = [
  {
    "inputs": [
      {
        "internalType": "uint64",
        "name": "modelId",
        "type": "uint64"
      }
    ],
    "name": "AlreadyDeprecated",
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
    "name": "CalldataTooLong",
    "type": "error"
  },
  {
    "inputs": [
      {
        "internalType": "uint64",
        "name": "datanetId",
        "type": "uint64"
      }
    ],
    "name": "DatanetNotFound",
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
        "internalType": "uint64",
        "name": "modelId",
        "type": "uint64"
      },
      {
        "internalType": "address",
        "name": "caller",
        "type": "address"
      }
    ],
    "name": "NotOwner",
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
        "name": "index",
        "type": "uint256"
      },
      {
        "internalType": "uint64",
        "name": "datanetId",
        "type": "uint64"
      }
    ],
    "name": "RepeatedDatanet",
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
        "internalType": "uint256",
        "name": "count",
        "type": "uint256"
      },
      {
        "internalType": "uint256",
        "name": "max",
        "type": "uint256"
      }
    ],
    "name": "TooManyDatanets",
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
    "anonymous": false,
    "inputs": [
      {
        "indexed": true,
        "internalType": "uint64",
        "name": "modelId",
        "type": "uint64"
      }
    ],
    "name": "ModelDeprecated",
    "type": "event"
  },
  {
    "anonymous": false,
    "inputs": [
      {
        "indexed": true,
        "internalType": "uint64",
        "name": "modelId",
        "type": "uint64"
      },
      {
        "indexed": false,
        "internalType": "uint256",
        "name": "feePerCall",
        "type": "uint256"
      }
    ],
    "name": "ModelFeeChanged",
    "type": "event"
  },
  {
    "anonymous": false,
    "inputs": [
      {
        "indexed": true,
        "internalType": "uint64",
        "name": "modelId",
        "type": "uint64"
      },
      {
        "indexed": true,
        "internalType": "address",
        "name": "owner",
        "type": "address"
      },
      {
        "indexed": false,
        "internalType": "string",
        "name": "name",
        "type": "string"
      },
      {
        "indexed": false,
        "internalType": "string",
        "name": "uri",
        "type": "string"
      },
      {
        "indexed": false,
        "internalType": "string",
        "name": "baseModel",
        "type": "string"
      },
      {
        "indexed": false,
        "internalType": "bytes32",
        "name": "adapterHash",
        "type": "bytes32"
      },
      {
        "indexed": false,
        "internalType": "uint256",
        "name": "feePerCall",
        "type": "uint256"
      },
      {
        "components": [
          {
            "internalType": "uint64",
            "name": "datanetId",
            "type": "uint64"
          },
          {
            "internalType": "uint64",
            "name": "version",
            "type": "uint64"
          }
        ],
        "indexed": false,
        "internalType": "struct IModelRegistry.DatanetVersion[]",
        "name": "datanets",
        "type": "tuple[]"
      }
    ],
    "name": "ModelRegistered",
    "type": "event"
  },
  {
    "inputs": [
      {
        "internalType": "uint64",
        "name": "modelId",
        "type": "uint64"
      }
    ],
    "name": "deprecate",
    "outputs": [],
    "stateMutability": "nonpayable",
    "type": "function"
  },
  {
    "inputs": [
      {
        "internalType": "uint64",
        "name": "modelId",
        "type": "uint64"
      }
    ],
    "name": "getModel",
    "outputs": [
      {
        "components": [
          {
            "internalType": "uint64",
            "name": "id",
            "type": "uint64"
          },
          {
            "internalType": "address",
            "name": "owner",
            "type": "address"
          },
          {
            "internalType": "string",
            "name": "name",
            "type": "string"
          },
          {
            "internalType": "string",
            "name": "uri",
            "type": "string"
          },
          {
            "internalType": "string",
            "name": "baseModel",
            "type": "string"
          },
          {
            "internalType": "bytes32",
            "name": "adapterHash",
            "type": "bytes32"
          },
          {
            "internalType": "uint256",
            "name": "feePerCall",
            "type": "uint256"
          },
          {
            "internalType": "bool",
            "name": "deprecated",
            "type": "bool"
          },
          {
            "components": [
              {
                "internalType": "uint64",
                "name": "datanetId",
                "type": "uint64"
              },
              {
                "internalType": "uint64",
                "name": "version",
                "type": "uint64"
              }
            ],
            "internalType": "struct IModelRegistry.DatanetVersion[]",
            "name": "datanets",
            "type": "tuple[]"
          }
        ],
        "internalType": "struct IModelRegistry.Model",
        "name": "",
        "type": "tuple"
      }
    ],
    "stateMutability": "view",
    "type": "function"
  },
  {
    "inputs": [],
    "name": "modelCount",
    "outputs": [
      {
        "internalType": "uint64",
        "name": "",
        "type": "uint64"
      }
    ],
    "stateMutability": "view",
    "type": "function"
  },
  {
    "inputs": [
      {
        "internalType": "address",
        "name": "owner",
        "type": "address"
      }
    ],
    "name": "modelsOf",
    "outputs": [
      {
        "internalType": "uint64[]",
        "name": "",
        "type": "uint64[]"
      }
    ],
    "stateMutability": "view",
    "type": "function"
  },
  {
    "inputs": [
      {
        "internalType": "string",
        "name": "name",
        "type": "string"
      },
      {
        "internalType": "string",
        "name": "uri",
        "type": "string"
      },
      {
        "internalType": "string",
        "name": "baseModel",
        "type": "string"
      },
      {
        "internalType": "bytes32",
        "name": "adapterHash",
        "type": "bytes32"
      },
      {
        "internalType": "uint64[]",
        "name": "datanetIds",
        "type": "uint64[]"
      },
      {
        "internalType": "uint256",
        "name": "feePerCall",
        "type": "uint256"
      }
    ],
    "name": "registerModel",
    "outputs": [
      {
        "internalType": "uint64",
        "name": "modelId",
        "type": "uint64"
      }
    ],
    "stateMutability": "nonpayable",
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
        "internalType": "uint256",
        "name": "feePerCall",
        "type": "uint256"
      }
    ],
    "name": "setFee",
    "outputs": [],
    "stateMutability": "nonpayable",
    "type": "function"
  }
] as const
