// Generated from IRewards.sol by precompiles/scripts/generateAbis.ts; do not edit.
export const iRewardsAbi = [
  {
    "inputs": [
      {
        "internalType": "uint64",
        "name": "agentId",
        "type": "uint64"
      },
      {
        "internalType": "uint64",
        "name": "modelId",
        "type": "uint64"
      }
    ],
    "name": "AgentDoesNotUseModel",
    "type": "error"
  },
  {
    "inputs": [
      {
        "internalType": "uint64",
        "name": "agentId",
        "type": "uint64"
      }
    ],
    "name": "AgentNotFound",
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
    "inputs": [],
    "name": "DelegateCallRefused",
    "type": "error"
  },
  {
    "inputs": [
      {
        "internalType": "uint256",
        "name": "fee",
        "type": "uint256"
      },
      {
        "internalType": "uint256",
        "name": "required",
        "type": "uint256"
      }
    ],
    "name": "FeeTooLow",
    "type": "error"
  },
  {
    "inputs": [
      {
        "internalType": "bytes32",
        "name": "inferenceId",
        "type": "bytes32"
      }
    ],
    "name": "InferenceAlreadySettled",
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
    "name": "ZeroInferenceId",
    "type": "error"
  },
  {
    "anonymous": false,
    "inputs": [
      {
        "indexed": true,
        "internalType": "bytes32",
        "name": "inferenceId",
        "type": "bytes32"
      },
      {
        "indexed": true,
        "internalType": "uint64",
        "name": "modelId",
        "type": "uint64"
      },
      {
        "indexed": true,
        "internalType": "uint64",
        "name": "agentId",
        "type": "uint64"
      },
      {
        "indexed": false,
        "internalType": "address",
        "name": "payer",
        "type": "address"
      },
      {
        "indexed": false,
        "internalType": "uint256",
        "name": "fee",
        "type": "uint256"
      },
      {
        "indexed": false,
        "internalType": "uint256",
        "name": "toModel",
        "type": "uint256"
      },
      {
        "indexed": false,
        "internalType": "uint256",
        "name": "toAgent",
        "type": "uint256"
      },
      {
        "indexed": false,
        "internalType": "uint256",
        "name": "toContributors",
        "type": "uint256"
      },
      {
        "indexed": false,
        "internalType": "uint256",
        "name": "toTreasury",
        "type": "uint256"
      }
    ],
    "name": "InferenceSettled",
    "type": "event"
  },
  {
    "anonymous": false,
    "inputs": [
      {
        "indexed": true,
        "internalType": "bytes32",
        "name": "inferenceId",
        "type": "bytes32"
      },
      {
        "indexed": true,
        "internalType": "address",
        "name": "recipient",
        "type": "address"
      },
      {
        "indexed": true,
        "internalType": "enum IRewards.Role",
        "name": "role",
        "type": "uint8"
      },
      {
        "indexed": false,
        "internalType": "uint64",
        "name": "id",
        "type": "uint64"
      },
      {
        "indexed": false,
        "internalType": "uint256",
        "name": "amount",
        "type": "uint256"
      }
    ],
    "name": "RewardPaid",
    "type": "event"
  },
  {
    "inputs": [
      {
        "internalType": "address",
        "name": "account",
        "type": "address"
      }
    ],
    "name": "earnedBy",
    "outputs": [
      {
        "internalType": "uint256",
        "name": "",
        "type": "uint256"
      }
    ],
    "stateMutability": "view",
    "type": "function"
  },
  {
    "inputs": [
      {
        "internalType": "uint64",
        "name": "agentId",
        "type": "uint64"
      }
    ],
    "name": "earnedByAgent",
    "outputs": [
      {
        "internalType": "uint256",
        "name": "",
        "type": "uint256"
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
    "name": "earnedByContribution",
    "outputs": [
      {
        "internalType": "uint256",
        "name": "",
        "type": "uint256"
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
      }
    ],
    "name": "earnedByModel",
    "outputs": [
      {
        "internalType": "uint256",
        "name": "",
        "type": "uint256"
      }
    ],
    "stateMutability": "view",
    "type": "function"
  },
  {
    "inputs": [
      {
        "internalType": "bytes32",
        "name": "inferenceId",
        "type": "bytes32"
      }
    ],
    "name": "isSettled",
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
        "name": "modelId",
        "type": "uint64"
      },
      {
        "internalType": "uint64",
        "name": "agentId",
        "type": "uint64"
      },
      {
        "internalType": "uint64[]",
        "name": "outputFingerprint",
        "type": "uint64[]"
      },
      {
        "internalType": "bytes32",
        "name": "inferenceId",
        "type": "bytes32"
      }
    ],
    "name": "payInference",
    "outputs": [
      {
        "components": [
          {
            "internalType": "enum IRewards.Role",
            "name": "role",
            "type": "uint8"
          },
          {
            "internalType": "address",
            "name": "recipient",
            "type": "address"
          },
          {
            "internalType": "uint64",
            "name": "id",
            "type": "uint64"
          },
          {
            "internalType": "uint256",
            "name": "amount",
            "type": "uint256"
          }
        ],
        "internalType": "struct IRewards.Share[]",
        "name": "shares",
        "type": "tuple[]"
      }
    ],
    "stateMutability": "payable",
    "type": "function"
  },
  {
    "inputs": [],
    "name": "policy",
    "outputs": [
      {
        "components": [
          {
            "internalType": "uint16",
            "name": "modelBps",
            "type": "uint16"
          },
          {
            "internalType": "uint16",
            "name": "agentBps",
            "type": "uint16"
          },
          {
            "internalType": "uint16",
            "name": "contributorsBps",
            "type": "uint16"
          },
          {
            "internalType": "uint16",
            "name": "treasuryBps",
            "type": "uint16"
          },
          {
            "internalType": "address",
            "name": "treasury",
            "type": "address"
          },
          {
            "internalType": "uint32",
            "name": "maxContributors",
            "type": "uint32"
          }
        ],
        "internalType": "struct IRewards.Policy",
        "name": "",
        "type": "tuple"
      }
    ],
    "stateMutability": "view",
    "type": "function"
  }
] as const
