import type { Candidate, Features } from '../events/contract';

/** One scoring request of the design's model protocol (what a `serving` event captured). */
export interface ModelRequest {
  request_id: string;
  user_id: string;
  context: Features;
  candidates: Candidate[];
}

export interface ModelResponse {
  request_id: string;
  scores: number[];
}

/** ModelAdapter scores requests with one model version; throws ModelError when it cannot. */
export interface ModelAdapter {
  score(requests: ModelRequest[], version: string): Promise<ModelResponse[]>;
  close?(): Promise<void>;
}

/** A scoring function with the in-process module adapter's signature. */
export type ScoreFn = (requests: ModelRequest[], version: string) => ModelResponse[] | Promise<ModelResponse[]>;
