/** Clock returns the current time in epoch milliseconds. Injected everywhere; logic never calls Date.now(). */
export type Clock = () => number;

export const systemClock: Clock = () => Date.now();
