// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {IOpenLedgerPrecompile} from "../framework/IOpenLedgerPrecompile.sol";

/// @title ModelRegistry, the precompile at 0x0000000000000000000000000000000000000A02
/// @notice Models, full ones and LoRA adapters, with the Datanets they were trained on and each
/// Datanet's version at registration, so the data a model drew on stays fixed however the Datanet
/// grows. Storage layout: precompiles/modelRegistry/README.md.
interface IModelRegistry is IOpenLedgerPrecompile {
    struct DatanetVersion {
        uint64 datanetId;
        /// The Datanet's version (DatanetRegistry: approvals so far) when the model was registered.
        uint64 version;
    }

    struct Model {
        uint64 id;
        address owner;
        string name;
        string uri;
        /// What the model was trained from (e.g. "meta-llama/Llama-3.1-8B"), empty for none.
        string baseModel;
        /// The LoRA adapter's hash; zero for a full model.
        bytes32 adapterHash;
        uint256 feePerCall;
        bool deprecated;
        DatanetVersion[] datanets;
    }

    event ModelRegistered(uint64 indexed modelId, address indexed owner, string name, string uri, string baseModel, bytes32 adapterHash, uint256 feePerCall, DatanetVersion[] datanets);
    event ModelFeeChanged(uint64 indexed modelId, uint256 feePerCall);
    event ModelDeprecated(uint64 indexed modelId);

    error ModelNotFound(uint64 modelId);
    error NotOwner(uint64 modelId, address caller);
    error DatanetNotFound(uint64 datanetId);
    error RepeatedDatanet(uint256 index, uint64 datanetId);
    error TooManyDatanets(uint256 count, uint256 max);
    error AlreadyDeprecated(uint64 modelId);

    /// Registers a model owned by the caller, trained on `datanetIds` (each a Datanet, once) at their
    /// current versions. `adapterHash` zero: a full model; otherwise a LoRA adapter of `baseModel`.
    function registerModel(string calldata name, string calldata uri, string calldata baseModel, bytes32 adapterHash, uint64[] calldata datanetIds, uint256 feePerCall) external returns (uint64 modelId);
    /// The owner only; a deprecated model's fee may still change (it still serves agents that use it).
    function setFee(uint64 modelId, uint256 feePerCall) external;
    /// The owner only, once: a deprecated model cannot be given to a new agent.
    function deprecate(uint64 modelId) external;

    function modelCount() external view returns (uint64);
    function getModel(uint64 modelId) external view returns (Model memory);
    /// The owner's model ids in registration order.
    function modelsOf(address owner) external view returns (uint64[] memory);
}
