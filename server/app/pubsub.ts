// The pub/sub lives in shared/ (the GraphQL context type needs it below the app layer).
export * from '../shared/pubsub.js';
