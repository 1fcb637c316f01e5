export * from './chain-reader';
export * from './errors';
export * from './registry-events';
export * from './registry-indexer';
