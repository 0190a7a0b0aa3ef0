// The young generation of the edge's worker threads: the semi-space the contract sets for the
// whole process (runtime/contract.ts edgeSemiSpaceMb), as a Worker's resource limit. V8 sizes a
// young generation as three semi-spaces (two, plus the new large-object space); a
// --max-semi-space-size the process was started with overrides it.
import type { ResourceLimits } from 'node:worker_threads';
import { edgeSemiSpaceMb } from '../contract.ts';

export const workerResourceLimits: ResourceLimits = {
  maxYoungGenerationSizeMb: 3 * edgeSemiSpaceMb,
};
