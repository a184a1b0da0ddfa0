// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {IModelRegistry} from "precompiles/modelRegistry/IModelRegistry.sol";
import {IAgentRegistry} from "precompiles/agentRegistry/IAgentRegistry.sol";
import {IAttribution} from "precompiles/attribution/IAttribution.sol";
import {IRewards} from "precompiles/rewards/IRewards.sol";

/// A contract that owns a model and an agent and sells inferences of them: it registers both through
/// the registries, scores each output with Attribution before paying, pays through Rewards with the
/// caller's value, and turns a failed payment into a refund, recording what the precompile said.
contract InferenceBroker {
    IModelRegistry constant MODELS = IModelRegistry(0x0000000000000000000000000000000000000a02);
    IAgentRegistry constant AGENTS = IAgentRegistry(0x0000000000000000000000000000000000000a03);
    IAttribution constant ATTRIBUTION = IAttribution(0x0000000000000000000000000000000000000a04);
    IRewards constant REWARDS = IRewards(0x0000000000000000000000000000000000000A05);

    uint64 public modelId;
    uint64 public agentId;
    /// Of the last output scored: the contribution Attribution weighted most, its weight, and how many were credited.
    uint64 public topContribution;
    uint32 public topWeightPpm;
    uint256 public scoredCount;
    /// Of the last settlement: the shares paid and the part that went to data contributors.
    uint256 public sharesPaid;
    uint256 public paidToContributors;
    /// Of the last failed payment: the custom error's selector and, for a replay, the inference it names.
    bytes4 public caught;
    bytes32 public caughtInferenceId;
    uint256 public refunded;

    function setUp(uint64 datanetId, bytes32 adapterHash, uint256 modelFee, uint256 agentFee) external {
        uint64[] memory datanets = new uint64[](1);
        datanets[0] = datanetId;
        modelId = MODELS.registerModel("broker-lora", "ipfs://broker", "meta-llama/Llama-3.1-8B", adapterHash, datanets, modelFee);
        uint64[] memory models = new uint64[](1);
        models[0] = modelId;
        agentId = AGENTS.registerAgent("broker-agent", "ipfs://broker-agent", models, agentFee);
    }

    function serve(uint64[] calldata output, bytes32 inferenceId) external payable {
        recordScore(output);
        IRewards.Share[] memory shares = REWARDS.payInference{value: msg.value}(modelId, agentId, output, inferenceId);
        recordShares(shares);
    }

    /// Like serve, but a payment the precompile refuses is refunded to the caller instead of reverting.
    function trySettle(uint64[] calldata output, bytes32 inferenceId) external payable {
        try REWARDS.payInference{value: msg.value}(modelId, agentId, output, inferenceId) returns (IRewards.Share[] memory shares) {
            recordShares(shares);
        } catch (bytes memory reason) {
            caught = bytes4(reason);
            if (caught == IRewards.InferenceAlreadySettled.selector) {
                bytes32 id;
                assembly { id := mload(add(reason, 36)) }
                caughtInferenceId = id;
            }
            refunded = msg.value;
            (bool ok, ) = msg.sender.call{value: msg.value}("");
            require(ok, "refund failed");
        }
    }

    function recordScore(uint64[] calldata output) internal {
        (uint64[] memory ids, uint32[] memory weights) = ATTRIBUTION.score(modelId, output, REWARDS.policy().maxContributors);
        scoredCount = ids.length;
        if (ids.length > 0) {
            topContribution = ids[0];
            topWeightPpm = weights[0];
        }
    }

    function recordShares(IRewards.Share[] memory shares) internal {
        sharesPaid = shares.length;
        uint256 toContributors;
        for (uint256 i = 0; i < shares.length; i++) {
            if (shares[i].role == IRewards.Role.Contributor) toContributors += shares[i].amount;
        }
        paidToContributors = toContributors;
    }
}
