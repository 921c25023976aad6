/**
 * The event contract of the design: what every source (NDJSON file, Kafka, the demo world) delivers.
 * `ts` is event time in epoch milliseconds once decoded.
 */
export type FeatureValue = number | string | boolean | null;
export type Features = Record<string, FeatureValue>;

export interface ImpressionEvent {
  type: 'impression';
  ts: number;
  request_id: string;
  user_id: string;
  item_id: string;
  position: number;
  score: number;
  model_version: string;
  surface?: string;
}

export interface EngagementEvent {
  type: 'engagement';
  ts: number;
  user_id: string;
  item_id: string;
  action: string;
  request_id?: string;
  value?: number;
}

export interface Candidate {
  item_id: string;
  features: Features;
}

export interface ServingEvent {
  type: 'serving';
  ts: number;
  request_id: string;
  user_id: string;
  model_version: string;
  context: Features;
  candidates: Candidate[];
  scores: number[];
  latency_ms: number;
  surface?: string;
}

export interface ItemEvent {
  type: 'item';
  ts: number;
  item_id: string;
  launch_ts: number;
  cohort?: string;
  attributes?: Record<string, unknown>;
}

export type RecEvent = ImpressionEvent | EngagementEvent | ServingEvent | ItemEvent;
export type EventType = RecEvent['type'];
export const EVENT_TYPES: readonly EventType[] = ['impression', 'engagement', 'serving', 'item'];
