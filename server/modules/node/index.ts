import { type AppModule } from '../../app/module.js';
import { NodeResolver } from './node.resolver.js';

export const nodeModule: AppModule = { name: 'node', resolvers: [NodeResolver] };
