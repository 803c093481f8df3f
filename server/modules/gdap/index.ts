import { type AppModule } from '../../app/module.js';
import { CustomerGdapResolver, GdapTemplateResolver } from './gdap.resolver.js';

/** GDAP (issue 15 item 2): the role template, relationships per customer, the expiry report. */
export const gdapModule: AppModule = {
  name: 'gdap',
  resolvers: [GdapTemplateResolver, CustomerGdapResolver],
};
