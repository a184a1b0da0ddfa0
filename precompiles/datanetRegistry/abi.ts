// Generated from IDatanetRegistry.sol by precompiles/scripts/generateAbis.ts; do not edit.
export const iDatanetRegistryAbi = [
  {
    "inputs": [
      {
        "internalType": "uint64",
        "name": "datanetId",
        "type": "uint64"
      },
      {
        "internalType": "address",
        "name": "curator",
        "type": "address"
      }
    ],
    "name": "AlreadyCurator",
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
        "name": "contributionId",
        "type": "uint64"
      }
    ],
    "name": "ContributionNotFound",
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
        "internalType": "uint64",
        "name": "contributionId",
        "type": "uint64"
      }
    ],
    "name": "DuplicateContent",
    "type": "error"
  },
  {
    "inputs": [],
    "name": "EmptyFingerprint",
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
    "name": "FingerprintTooLong",
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
        "internalType": "uint8",
        "name": "pct",
        "type": "uint8"
      }
    ],
    "name": "InvalidNearDuplicatePct",
    "type": "error"
  },
  {
    "inputs": [
      {
        "internalType": "uint8",
        "name": "shingleSize",
        "type": "uint8"
      },
      {
        "internalType": "uint8",
        "name": "max",
        "type": "uint8"
      }
    ],
    "name": "InvalidShingleSize",
    "type": "error"
  },
  {
    "inputs": [
      {
        "internalType": "uint64",
        "name": "contributionId",
        "type": "uint64"
      },
      {
        "internalType": "uint256",
        "name": "overlapPct",
        "type": "uint256"
      }
    ],
    "name": "NearDuplicate",
    "type": "error"
  },
  {
    "inputs": [
      {
        "internalType": "uint64",
        "name": "datanetId",
        "type": "uint64"
      },
      {
        "internalType": "address",
        "name": "caller",
        "type": "address"
      }
    ],
    "name": "NotCurator",
    "type": "error"
  },
  {
    "inputs": [
      {
        "internalType": "uint64",
        "name": "datanetId",
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
        "internalType": "uint64",
        "name": "contributionId",
        "type": "uint64"
      },
      {
        "internalType": "enum IDatanetRegistry.Status",
        "name": "status",
        "type": "uint8"
      }
    ],
    "name": "NotPending",
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
    "anonymous": false,
    "inputs": [
      {
        "indexed": true,
        "internalType": "uint64",
        "name": "contributionId",
        "type": "uint64"
      },
      {
        "indexed": true,
        "internalType": "uint64",
        "name": "datanetId",
        "type": "uint64"
      },
      {
        "indexed": true,
        "internalType": "address",
        "name": "curator",
        "type": "address"
      },
      {
        "indexed": false,
        "internalType": "uint64",
        "name": "version",
        "type": "uint64"
      },
      {
        "indexed": false,
        "internalType": "bytes32",
        "name": "commitment",
        "type": "bytes32"
      }
    ],
    "name": "ContributionApproved",
    "type": "event"
  },
  {
    "anonymous": false,
    "inputs": [
      {
        "indexed": true,
        "internalType": "uint64",
        "name": "contributionId",
        "type": "uint64"
      },
      {
        "indexed": true,
        "internalType": "uint64",
        "name": "datanetId",
        "type": "uint64"
      },
      {
        "indexed": true,
        "internalType": "address",
        "name": "curator",
        "type": "address"
      }
    ],
    "name": "ContributionRejected",
    "type": "event"
  },
  {
    "anonymous": false,
    "inputs": [
      {
        "indexed": true,
        "internalType": "uint64",
        "name": "contributionId",
        "type": "uint64"
      },
      {
        "indexed": true,
        "internalType": "uint64",
        "name": "datanetId",
        "type": "uint64"
      },
      {
        "indexed": true,
        "internalType": "address",
        "name": "contributor",
        "type": "address"
      },
      {
        "indexed": false,
        "internalType": "bytes32",
        "name": "contentHash",
        "type": "bytes32"
      },
      {
        "indexed": false,
        "internalType": "string",
        "name": "uri",
        "type": "string"
      },
      {
        "indexed": false,
        "internalType": "uint32",
        "name": "fingerprintLength",
        "type": "uint32"
      }
    ],
    "name": "ContributionSubmitted",
    "type": "event"
  },
  {
    "anonymous": false,
    "inputs": [
      {
        "indexed": true,
        "internalType": "uint64",
        "name": "datanetId",
        "type": "uint64"
      },
      {
        "indexed": true,
        "internalType": "address",
        "name": "curator",
        "type": "address"
      }
    ],
    "name": "CuratorAdded",
    "type": "event"
  },
  {
    "anonymous": false,
    "inputs": [
      {
        "indexed": true,
        "internalType": "uint64",
        "name": "datanetId",
        "type": "uint64"
      },
      {
        "indexed": true,
        "internalType": "address",
        "name": "curator",
        "type": "address"
      }
    ],
    "name": "CuratorRemoved",
    "type": "event"
  },
  {
    "anonymous": false,
    "inputs": [
      {
        "indexed": true,
        "internalType": "uint64",
        "name": "datanetId",
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
        "name": "metadataURI",
        "type": "string"
      },
      {
        "indexed": false,
        "internalType": "uint8",
        "name": "shingleSize",
        "type": "uint8"
      },
      {
        "components": [
          {
            "internalType": "bool",
            "name": "curated",
            "type": "bool"
          },
          {
            "internalType": "uint8",
            "name": "nearDuplicatePct",
            "type": "uint8"
          }
        ],
        "indexed": false,
        "internalType": "struct IDatanetRegistry.Policy",
        "name": "policy",
        "type": "tuple"
      }
    ],
    "name": "DatanetCreated",
    "type": "event"
  },
  {
    "inputs": [
      {
        "internalType": "uint64",
        "name": "datanetId",
        "type": "uint64"
      },
      {
        "internalType": "address",
        "name": "curator",
        "type": "address"
      }
    ],
    "name": "addCurator",
    "outputs": [],
    "stateMutability": "nonpayable",
    "type": "function"
  },
  {
    "inputs": [
      {
        "internalType": "uint64",
        "name": "contributionId",
        "type": "uint64"
      }
    ],
    "name": "approve",
    "outputs": [],
    "stateMutability": "nonpayable",
    "type": "function"
  },
  {
    "inputs": [
      {
        "internalType": "address",
        "name": "contributor",
        "type": "address"
      }
    ],
    "name": "contributionCountOf",
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
        "name": "contributor",
        "type": "address"
      },
      {
        "internalType": "uint256",
        "name": "offset",
        "type": "uint256"
      },
      {
        "internalType": "uint256",
        "name": "limit",
        "type": "uint256"
      }
    ],
    "name": "contributionsOf",
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
        "name": "metadataURI",
        "type": "string"
      },
      {
        "internalType": "uint8",
        "name": "shingleSize",
        "type": "uint8"
      },
      {
        "components": [
          {
            "internalType": "bool",
            "name": "curated",
            "type": "bool"
          },
          {
            "internalType": "uint8",
            "name": "nearDuplicatePct",
            "type": "uint8"
          }
        ],
        "internalType": "struct IDatanetRegistry.Policy",
        "name": "policy",
        "type": "tuple"
      }
    ],
    "name": "createDatanet",
    "outputs": [
      {
        "internalType": "uint64",
        "name": "datanetId",
        "type": "uint64"
      }
    ],
    "stateMutability": "nonpayable",
    "type": "function"
  },
  {
    "inputs": [],
    "name": "datanetCount",
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
        "internalType": "uint64",
        "name": "contributionId",
        "type": "uint64"
      }
    ],
    "name": "getContribution",
    "outputs": [
      {
        "components": [
          {
            "internalType": "uint64",
            "name": "id",
            "type": "uint64"
          },
          {
            "internalType": "uint64",
            "name": "datanetId",
            "type": "uint64"
          },
          {
            "internalType": "address",
            "name": "contributor",
            "type": "address"
          },
          {
            "internalType": "bytes32",
            "name": "contentHash",
            "type": "bytes32"
          },
          {
            "internalType": "string",
            "name": "uri",
            "type": "string"
          },
          {
            "internalType": "enum IDatanetRegistry.Status",
            "name": "status",
            "type": "uint8"
          },
          {
            "internalType": "uint64",
            "name": "approvedVersion",
            "type": "uint64"
          },
          {
            "internalType": "uint32",
            "name": "fingerprintLength",
            "type": "uint32"
          }
        ],
        "internalType": "struct IDatanetRegistry.Contribution",
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
        "name": "datanetId",
        "type": "uint64"
      }
    ],
    "name": "getDatanet",
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
            "name": "metadataURI",
            "type": "string"
          },
          {
            "internalType": "uint8",
            "name": "shingleSize",
            "type": "uint8"
          },
          {
            "components": [
              {
                "internalType": "bool",
                "name": "curated",
                "type": "bool"
              },
              {
                "internalType": "uint8",
                "name": "nearDuplicatePct",
                "type": "uint8"
              }
            ],
            "internalType": "struct IDatanetRegistry.Policy",
            "name": "policy",
            "type": "tuple"
          },
          {
            "internalType": "uint64",
            "name": "version",
            "type": "uint64"
          },
          {
            "internalType": "bytes32",
            "name": "commitment",
            "type": "bytes32"
          },
          {
            "internalType": "uint64",
            "name": "contributionCount",
            "type": "uint64"
          },
          {
            "internalType": "uint64",
            "name": "approvedCount",
            "type": "uint64"
          }
        ],
        "internalType": "struct IDatanetRegistry.Datanet",
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
        "name": "contributionId",
        "type": "uint64"
      }
    ],
    "name": "getFingerprint",
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
        "internalType": "uint64",
        "name": "datanetId",
        "type": "uint64"
      },
      {
        "internalType": "address",
        "name": "account",
        "type": "address"
      }
    ],
    "name": "isCurator",
    "outputs": [
      {
        "internalType": "bool",
        "name": "",
        "type": "bool"
      }
    ],
    "stateMutability": "view",
    "type": "function"
  },
  {
    "inputs": [
      {
        "internalType": "uint64",
        "name": "datanetId",
        "type": "uint64"
      },
      {
        "internalType": "uint64",
        "name": "shingle",
        "type": "uint64"
      }
    ],
    "name": "postings",
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
        "internalType": "uint64",
        "name": "contributionId",
        "type": "uint64"
      }
    ],
    "name": "reject",
    "outputs": [],
    "stateMutability": "nonpayable",
    "type": "function"
  },
  {
    "inputs": [
      {
        "internalType": "uint64",
        "name": "datanetId",
        "type": "uint64"
      },
      {
        "internalType": "address",
        "name": "curator",
        "type": "address"
      }
    ],
    "name": "removeCurator",
    "outputs": [],
    "stateMutability": "nonpayable",
    "type": "function"
  },
  {
    "inputs": [
      {
        "internalType": "uint64",
        "name": "datanetId",
        "type": "uint64"
      },
      {
        "internalType": "bytes32",
        "name": "contentHash",
        "type": "bytes32"
      },
      {
        "internalType": "string",
        "name": "uri",
        "type": "string"
      },
      {
        "internalType": "uint64[]",
        "name": "fingerprint",
        "type": "uint64[]"
      }
    ],
    "name": "submitContribution",
    "outputs": [
      {
        "internalType": "uint64",
        "name": "contributionId",
        "type": "uint64"
      }
    ],
    "stateMutability": "nonpayable",
    "type": "function"
  }
] as const
