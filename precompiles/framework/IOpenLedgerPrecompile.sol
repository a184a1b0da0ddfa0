// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/// @notice Errors every OpenLedger precompile may revert with, before its own code runs.
interface IOpenLedgerPrecompile {
    /// The calldata's first 4 bytes name no function of this precompile.
    error UnknownFunction(bytes4 selector);
    /// The arguments do not decode as the function's parameter types.
    error InvalidArguments(bytes4 selector);
    /// A state-changing function was called through STATICCALL (or from a view context).
    error WriteInStaticCall(bytes4 selector);
    /// Precompiles run in their own account only: DELEGATECALL and CALLCODE are refused.
    error DelegateCallRefused();
    /// Value was sent to a function that is not payable.
    error NotPayable(bytes4 selector, uint256 value);
}
