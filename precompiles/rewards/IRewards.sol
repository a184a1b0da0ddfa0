// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {IOpenLedgerPrecompile} from "../framework/IOpenLedgerPrecompile.sol";

/// @title Rewards, the precompile at 0x0000000000000000000000000000000000000A05
/// @notice Pays for an inference: the fee (msg.value) is split by the chain's policy (genesis
/// `openledger.rewards`, basis points) between the model's owner, the agent's owner, the data
/// contributors the output drew on (Attribution's weights) and the protocol treasury, and every share
/// is credited to its recipient's balance in the same call. The remainder of every division goes to
/// the treasury, so the shares add up to the fee exactly. Rules: precompiles/rewards/README.md.
interface IRewards is IOpenLedgerPrecompile {
    enum Role {
        Model,
        Agent,
        Contributor,
        Treasury
    }

    struct Share {
        Role role;
        address recipient;
        /// The contribution paid for (Contributor shares), the model (Model), the agent (Agent); 0 for Treasury.
        uint64 id;
        uint256 amount;
    }

    /// Genesis `openledger.rewards`; the four shares sum to 10,000 basis points.
    struct Policy {
        uint16 modelBps;
        uint16 agentBps;
        uint16 contributorsBps;
        uint16 treasuryBps;
        address treasury;
        /// Contributions paid per inference at most (Attribution's maxContributors).
        uint32 maxContributors;
    }

    event InferenceSettled(
        bytes32 indexed inferenceId,
        uint64 indexed modelId,
        uint64 indexed agentId,
        address payer,
        uint256 fee,
        uint256 toModel,
        uint256 toAgent,
        uint256 toContributors,
        uint256 toTreasury
    );
    event RewardPaid(bytes32 indexed inferenceId, address indexed recipient, Role indexed role, uint64 id, uint256 amount);

    error ModelNotFound(uint64 modelId);
    error AgentNotFound(uint64 agentId);
    error AgentDoesNotUseModel(uint64 agentId, uint64 modelId);
    error FeeTooLow(uint256 fee, uint256 required);
    error ZeroInferenceId();
    error InferenceAlreadySettled(bytes32 inferenceId);
    /// Attribution's errors, for the output scored here (same selectors as IAttribution's).
    error OutputTooLong(uint256 length, uint256 max);
    error RepeatedShingle(uint256 index, uint64 shingle);
    error PostingsCapExceeded(uint256 read, uint256 max);

    /// Settles one inference of `modelId` served by `agentId` (0: no agent; the agent's share then goes
    /// to the treasury). msg.value is the fee: at least the model's plus the agent's feePerCall.
    /// `inferenceId` (non-zero, e.g. the hash of the request) can be settled once; a replay reverts.
    /// `outputFingerprint` is scored as Attribution.score does, with the policy's maxContributors.
    /// Returns every non-zero share paid, in the order of the RewardPaid events.
    function payInference(uint64 modelId, uint64 agentId, uint64[] calldata outputFingerprint, bytes32 inferenceId)
        external
        payable
        returns (Share[] memory shares);

    function policy() external view returns (Policy memory);
    function isSettled(bytes32 inferenceId) external view returns (bool);
    /// Everything ever credited to `account` by this precompile, in every role.
    function earnedBy(address account) external view returns (uint256);
    function earnedByContribution(uint64 contributionId) external view returns (uint256);
    /// Paid to the model's owner for inferences of this model.
    function earnedByModel(uint64 modelId) external view returns (uint256);
    /// Paid to the agent's owner for inferences through this agent.
    function earnedByAgent(uint64 agentId) external view returns (uint256);
}
