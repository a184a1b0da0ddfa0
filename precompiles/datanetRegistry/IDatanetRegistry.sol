// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {IOpenLedgerPrecompile} from "../framework/IOpenLedgerPrecompile.sol";

/// @title DatanetRegistry, the precompile at 0x0000000000000000000000000000000000000A01
/// @notice Community data sets (Datanets) and their contributions. A contribution is a content hash,
/// a URI and a fingerprint (the canonical 64-bit shingle hashes, precompiles/README.md); raw data
/// never goes on chain. Approved contributions are indexed by shingle, per Datanet, for near-duplicate
/// detection and for Attribution. Storage layout: precompiles/datanetRegistry/README.md.
interface IDatanetRegistry is IOpenLedgerPrecompile {
    enum Status {
        None,
        Pending,
        Approved,
        Rejected
    }

    struct Policy {
        /// Curated: contributions wait for a curator; open: approved on submission.
        bool curated;
        /// A submission whose shingles are at least this percent contained in one approved
        /// contribution is refused; 0 means the chain's default (genesis, 80 unless set).
        uint8 nearDuplicatePct;
    }

    struct Datanet {
        uint64 id;
        address owner;
        string name;
        string metadataURI;
        uint8 shingleSize;
        Policy policy;
        /// Approvals so far; the commitment below is the one after `version` approvals.
        uint64 version;
        /// keccak256(abi.encode(previous, contributionId, contentHash)) chained over every approval.
        bytes32 commitment;
        uint64 contributionCount;
        uint64 approvedCount;
    }

    struct Contribution {
        uint64 id;
        uint64 datanetId;
        address contributor;
        bytes32 contentHash;
        string uri;
        Status status;
        /// The Datanet version this contribution's approval made (0 until approved).
        uint64 approvedVersion;
        uint32 fingerprintLength;
    }

    event DatanetCreated(uint64 indexed datanetId, address indexed owner, string name, string metadataURI, uint8 shingleSize, Policy policy);
    event CuratorAdded(uint64 indexed datanetId, address indexed curator);
    event CuratorRemoved(uint64 indexed datanetId, address indexed curator);
    event ContributionSubmitted(uint64 indexed contributionId, uint64 indexed datanetId, address indexed contributor, bytes32 contentHash, string uri, uint32 fingerprintLength);
    event ContributionApproved(uint64 indexed contributionId, uint64 indexed datanetId, address indexed curator, uint64 version, bytes32 commitment);
    event ContributionRejected(uint64 indexed contributionId, uint64 indexed datanetId, address indexed curator);

    error DatanetNotFound(uint64 datanetId);
    error ContributionNotFound(uint64 contributionId);
    error NotOwner(uint64 datanetId, address caller);
    error NotCurator(uint64 datanetId, address caller);
    error AlreadyCurator(uint64 datanetId, address curator);
    error InvalidShingleSize(uint8 shingleSize, uint8 max);
    error InvalidNearDuplicatePct(uint8 pct);
    error EmptyFingerprint();
    error FingerprintTooLong(uint256 length, uint256 max);
    error RepeatedShingle(uint256 index, uint64 shingle);
    error DuplicateContent(uint64 contributionId);
    error NearDuplicate(uint64 contributionId, uint256 overlapPct);
    error NotPending(uint64 contributionId, Status status);

    /// Creates a Datanet owned (and curated) by the caller.
    function createDatanet(string calldata name, string calldata metadataURI, uint8 shingleSize, Policy calldata policy) external returns (uint64 datanetId);
    function addCurator(uint64 datanetId, address curator) external;
    function removeCurator(uint64 datanetId, address curator) external;

    /// `fingerprint`: distinct shingle hashes (at most the chain's cap, genesis, 512 unless set).
    function submitContribution(uint64 datanetId, bytes32 contentHash, string calldata uri, uint64[] calldata fingerprint) external returns (uint64 contributionId);
    function approve(uint64 contributionId) external;
    function reject(uint64 contributionId) external;

    function datanetCount() external view returns (uint64);
    function getDatanet(uint64 datanetId) external view returns (Datanet memory);
    function isCurator(uint64 datanetId, address account) external view returns (bool);
    function getContribution(uint64 contributionId) external view returns (Contribution memory);
    function getFingerprint(uint64 contributionId) external view returns (uint64[] memory);
    function contributionCountOf(address contributor) external view returns (uint64);
    /// The contributor's contribution ids in submission order, from `offset`, at most `limit` of them.
    function contributionsOf(address contributor, uint256 offset, uint256 limit) external view returns (uint64[] memory);
    /// Approved contributions of the Datanet whose fingerprint holds `shingle` (the index Attribution reads).
    function postings(uint64 datanetId, uint64 shingle) external view returns (uint64[] memory);
}
