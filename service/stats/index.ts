/** The network dashboard's read model (docs/dashboard.md): pure reads over the registry mirror and the store, through ports. */
export * from './network-stats';
export * from './periods';
export * from './ports';
