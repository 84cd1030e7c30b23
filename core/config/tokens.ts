import type { ServiceIdentifier } from 'inversify';
import type { EmbedlineConfig } from './schema.js';

/** The validated, frozen configuration. Core services read their section; plugins get their own slice. */
export const EMBEDLINE_CONFIG: ServiceIdentifier<Readonly<EmbedlineConfig>> = Symbol.for('embedline.Config');
