import { Field, InputType, ObjectType } from 'type-graphql';

@ObjectType('PostalAddress', { description: 'A postal address.' })
export class PostalAddress {
  @Field(() => String, { nullable: true, description: 'First address line.' })
  addressLine1!: string | null;

  @Field(() => String, { nullable: true, description: 'Second address line.' })
  addressLine2!: string | null;

  @Field(() => String, { nullable: true, description: 'City.' })
  city!: string | null;

  @Field(() => String, { nullable: true, description: 'Postal code.' })
  postalCode!: string | null;

  @Field(() => String, { nullable: true, description: 'State or region.' })
  region!: string | null;

  @Field(() => String, { nullable: true, description: 'ISO 3166 alpha-2 country code.' })
  country!: string | null;
}

@InputType('PostalAddressInput', {
  description:
    'A postal address: plain text, trimmed; lines and city at most 200/100 characters, postal code 20, region 100.',
})
export class PostalAddressInput {
  @Field(() => String, { description: 'First address line (required).' })
  addressLine1!: string;

  @Field(() => String, { nullable: true, description: 'Second address line.' })
  addressLine2?: string | null;

  @Field(() => String, { description: 'City (required).' })
  city!: string;

  @Field(() => String, { nullable: true, description: 'Postal code.' })
  postalCode?: string | null;

  @Field(() => String, { nullable: true, description: 'State or region.' })
  region?: string | null;

  @Field(() => String, { description: 'ISO 3166 alpha-2 country code, e.g. GB (required).' })
  country!: string;
}
