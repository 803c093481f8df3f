import { type Loaders } from '../modules/loaders.js';
import { type Actor } from './actor.js';

/** What services need from a request: who asks, and the request's loaders. */
export interface RequestScope {
  requestId: string;
  actor: Actor;
  loaders: Loaders;
}
