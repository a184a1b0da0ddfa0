// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/// @notice Errors every OpenLedger precompile may revert with.
interface IOpenLedgerPrecompile {
    /// The calldata's first 4 bytes name no function of this precompile.
    error UnknownFunction(bytes4 selector);
    /// The arguments do not decode as the function's parameter types.
    error InvalidArguments(bytes4 selector);
    /// The calldata is longer than any valid call of this precompile can be: refused before decoding.
    error CalldataTooLong(uint256 length, uint256 max);
    /// A state-changing function was called through STATICCALL (or from a view context).
    error WriteInStaticCall(bytes4 selector);
    /// Precompiles run in their own account only: DELEGATECALL and CALLCODE are refused.
    error DelegateCallRefused();
    /// Value was sent to a function that is not payable.
    error NotPayable(bytes4 selector, uint256 value);
    /// A string argument is longer, in UTF-8 bytes, than the chain allows (genesis `openledger`).
    error TooLong(string field, uint256 length, uint256 max);
}
