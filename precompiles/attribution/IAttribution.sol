// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {IOpenLedgerPrecompile} from "../framework/IOpenLedgerPrecompile.sol";

/// @title Attribution, the precompile at 0x0000000000000000000000000000000000000A04
/// @notice Proof of Attribution: which approved contributions of a model's Datanets an output drew on,
/// and how much, in parts per million. It reads DatanetRegistry's shingle index (built on approval)
/// and ModelRegistry's record of the Datanet versions a model was trained on; a contribution approved
/// after that version is not credited. Integer arithmetic only: every node gives the same answer.
/// The scoring rules: precompiles/attribution/README.md.
interface IAttribution is IOpenLedgerPrecompile {
    /// The chain's caps (genesis `openledger.attribution`): they bound the gas of a score.
    struct Limits {
        uint32 maxOutputShingles;
        uint32 maxContributors;
        uint32 maxPostingsRead;
        uint32 runBonusCap;
    }

    error ModelNotFound(uint64 modelId);
    error OutputTooLong(uint256 length, uint256 max);
    error RepeatedShingle(uint256 index, uint64 shingle);
    error InvalidMaxContributors(uint256 requested, uint256 max);
    error PostingsCapExceeded(uint256 read, uint256 max);

    /// The contributions `outputFingerprint` (the output's canonical fingerprint, in document order,
    /// distinct values) drew on, at most `maxContributors` of them, by weight (highest first, ties by
    /// lower id), and their weights in parts per million: exactly 1,000,000 in all when anything
    /// matched; both arrays empty when nothing did.
    function score(uint64 modelId, uint64[] calldata outputFingerprint, uint256 maxContributors)
        external
        view
        returns (uint64[] memory contributionIds, uint32[] memory weightsPpm);

    function limits() external view returns (Limits memory);
}
