import type { CheckKind } from '../kind';
import { filesKind } from './files';
import { httpJsonKind } from './http-json';
import { promqlKind } from './promql';
import { sqlKind } from './sql';

/** The scheduled query kinds: data that never reaches the event stream (docs/sources.md). */
export const queryCheckKinds: CheckKind<any>[] = [sqlKind, httpJsonKind, promqlKind, filesKind];
