/** The registry's model: its enums, its records and its rules, written once (no express, SQL or provider). */
export * from './enums';
export * from './key-validity';
export * from './types';
