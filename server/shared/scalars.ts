import { DateTimeResolver } from 'graphql-scalars';

/** `DateTime`: RFC 3339 date-time strings on the wire, `Date` in resolvers. */
export const DateTimeScalar = DateTimeResolver;
