// The API's TypeScript types as the route declarations define them: an answer is the v.InferOutput of the
// schema its route declares for a status, a request's query and body the v.InferInput of theirs. A client
// typed by these says what the OpenAPI document says. Types only: importing this costs a bundle nothing.
import type * as v from 'valibot';
import type { EcosystemView, NewServerToken, ServerTokenView } from '../core/ecosystems.ts';
import type { IssuedToken } from '../core/issue-token.ts';
import type { PublicJwk } from '../core/ports.ts';
import type { UsageReport } from '../core/usage.ts';
import type { TokenView, UserView } from '../core/users.ts';
import type { VerifiedToken } from '../core/verify-token.ts';
import type { ROUTES, RouteId } from './routes.ts';
import type { ANSWERS, BODY_MEMBERS, QUERY_FIELDS } from './schemas.ts';

type RouteOf<Id extends RouteId> = Extract<(typeof ROUTES)[number], { id: Id }>;
type Answers<Id extends RouteId> = RouteOf<Id>['answers'];
type Request<Id extends RouteId> = RouteOf<Id>['request'];

/**
 * The body a route answers with a status, as declared (undefined where it declares no JSON body).
 *
 * @example
 * type Issued = AnswerOf<'issueToken', 200>; // { token: string; tokenId: string; ttl: number | null; … }
 */
export type AnswerOf<
  Id extends RouteId,
  Status extends keyof Answers<Id>,
> = Answers<Id>[Status] extends keyof typeof ANSWERS
  ? v.InferOutput<(typeof ANSWERS)[Answers<Id>[Status]]>
  : undefined;

/** The strict object of the named members, as a caller writes it. */
type Members<Catalogue extends v.ObjectEntries, Names> = Names extends readonly (keyof Catalogue)[]
  ? v.InferInput<v.StrictObjectSchema<Pick<Catalogue, Names[number]>, undefined>>
  : never;

/** The query a route takes, as a caller writes it (every field optional where its schema says so). */
export type QueryOf<Id extends RouteId> = Members<
  typeof QUERY_FIELDS,
  Request<Id> extends { query: infer Q } ? Q : never
>;

/** The JSON body a route takes, as a caller writes it; never for a route that takes none. */
export type BodyOf<Id extends RouteId> = Members<
  typeof BODY_MEMBERS,
  Request<Id> extends { body: infer B } ? B : never
>;

export type EcosystemAnswer = AnswerOf<'getEcosystem', 200>;
/** `POST /v1/ecosystems`: the ecosystem and its first server token, shown once. */
export type EcosystemCreatedAnswer = AnswerOf<'createEcosystem', 201>;
export type EcosystemListAnswer = AnswerOf<'listEcosystems', 200>;
export type ServerTokenCreatedAnswer = AnswerOf<'createServerToken', 201>;
export type ServerTokenListAnswer = AnswerOf<'listServerTokens', 200>;
export type UserAnswer = AnswerOf<'getUser', 200>;
export type UserTokenListAnswer = AnswerOf<'listUserTokens', 200>;
export type IssuedTokenAnswer = AnswerOf<'issueToken', 200>;
export type VerifiedTokenAnswer = AnswerOf<'verifyToken', 200>;
export type UsageAnswer = AnswerOf<'getUsage', 200>;
export type JwksAnswer = AnswerOf<'jwks', 200>;
export type MeAnswer = AnswerOf<'me', 200>;
/** `{"error": {"code", "message"}}`, with every code of the API. */
export type ErrorAnswer = v.InferOutput<typeof ANSWERS.Error>;

/** How a token is asked to expire (the issue routes' query). */
export type IssueQuery = QueryOf<'issueToken'>;
/** The issue routes' body: the extra claims. */
export type IssueBody = BodyOf<'issueToken'>;
export type UsageQuery = QueryOf<'getUsage'>;
export type UserBody = BodyOf<'putUser'>;
export type EcosystemBody = BodyOf<'createEcosystem'>;

/**
 * The compiler's check that what the core answers is what the routes declare: a view whose members differ
 * from its answer schema's (one more, one less, one retyped) is a type error here, not a wrong document.
 * Deeper extra members are caught by the tests, which parse every real answer with its declared schema.
 */
type Fits<Actual extends Declared, Declared extends Record<keyof Actual, unknown>> = [Actual, Declared];
export type CoreViewsFitTheirAnswers = [
  Fits<EcosystemView, EcosystemAnswer>,
  Fits<EcosystemView & NewServerToken, EcosystemCreatedAnswer>,
  Fits<{ ecosystems: EcosystemView[] }, EcosystemListAnswer>,
  Fits<NewServerToken, ServerTokenCreatedAnswer>,
  Fits<{ serverTokens: ServerTokenView[] }, ServerTokenListAnswer>,
  Fits<UserView, UserAnswer>,
  Fits<{ tokens: TokenView[] }, UserTokenListAnswer>,
  Fits<IssuedToken, IssuedTokenAnswer>,
  Fits<VerifiedToken, VerifiedTokenAnswer>,
  Fits<UsageReport, UsageAnswer>,
  Fits<{ keys: PublicJwk[] }, JwksAnswer>,
];
