/** Why a validator key could not be loaded or written. */
export type KeyErrorCode = 'KEY_UNREADABLE' | 'KEY_MALFORMED' | 'KEY_WRONG_PASSWORD' | 'KEY_INSECURE' | 'KEY_EXISTS' | 'KEY_EMPTY_PASSWORD'

/** A key file the node cannot use; the message names the file and says what to do. */
export class KeyError extends Error {
  constructor(
    readonly code: KeyErrorCode,
    message: string,
  ) {
    super(message)
  }
}
