/** The outcome of taking one request from a counter's allowance for the current window. */
export interface Take {
  allowed: boolean;
  limit: number;
  /** Requests left in the window (as this replica knows it). */
  remaining: number;
  /** Seconds until the window ends and the allowance is whole again. */
  resetSeconds: number;
}
