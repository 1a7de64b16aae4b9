export * from './blueprint.js';
export * from './errors.js';
export * from './generate.js';
export * from './neighbours.js';
export * from './prng.js';
export * from './synthetic.js';
