// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {IOpenLedgerPrecompile} from "../framework/IOpenLedgerPrecompile.sol";

/// @title AgentRegistry, the precompile at 0x0000000000000000000000000000000000000A03
/// @notice Agents: services built on models of the ModelRegistry (0x…0A02), each with its owner and
/// fee per call. Storage layout: precompiles/agentRegistry/README.md.
interface IAgentRegistry is IOpenLedgerPrecompile {
    struct Agent {
        uint64 id;
        address owner;
        string name;
        string uri;
        uint256 feePerCall;
        uint64[] modelIds;
    }

    event AgentRegistered(uint64 indexed agentId, address indexed owner, string name, string uri, uint64[] modelIds, uint256 feePerCall);
    event AgentFeeChanged(uint64 indexed agentId, uint256 feePerCall);
    event AgentUriChanged(uint64 indexed agentId, string uri);
    event AgentModelsChanged(uint64 indexed agentId, uint64[] modelIds);

    error AgentNotFound(uint64 agentId);
    error NotOwner(uint64 agentId, address caller);
    error ModelNotFound(uint64 modelId);
    error ModelDeprecated(uint64 modelId);
    error RepeatedModel(uint256 index, uint64 modelId);
    error NoModels();
    error TooManyModels(uint256 count, uint256 max);

    /// Registers an agent owned by the caller, using `modelIds` (each an existing model not
    /// deprecated, once; at least one).
    function registerAgent(string calldata name, string calldata uri, uint64[] calldata modelIds, uint256 feePerCall) external returns (uint64 agentId);
    /// The owner only, for each of these.
    function setFee(uint64 agentId, uint256 feePerCall) external;
    function setUri(uint64 agentId, string calldata uri) external;
    /// Replaces the agent's models, checked as at registration.
    function setModels(uint64 agentId, uint64[] calldata modelIds) external;

    function agentCount() external view returns (uint64);
    function getAgent(uint64 agentId) external view returns (Agent memory);
    /// The owner's agent ids in registration order.
    function agentsOf(address owner) external view returns (uint64[] memory);
}
