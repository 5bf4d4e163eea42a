// The CLI's own two failures, besides the client's TesseraClientError: each maps to one exit code.

/** A mistake in how the command was typed (or a missing --yes): exit code 2, with the command's usage. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** The person answered no at a confirmation prompt: exit code 4, nothing was sent. */
export class CancelledError extends Error {
  override readonly name = 'CancelledError';
}
