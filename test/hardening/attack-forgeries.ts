// The hardening catalogue's list of forged tokens (RFC 8725, the OWASP JWT cheat sheet, past CVEs of JWT
// libraries and ECDSA verifiers), each with the code the service refuses it with. The attack catalogue
// presents every one at every front door; the reader-agreement test runs every one through the client's
// pre-check and offline verifier as well as the service.
import type { Attack } from './forge-context.ts';
import { CONTENT_FORGERIES } from './forgeries-content.ts';
import { SIGNING_FORGERIES } from './forgeries-signing.ts';

export const ATTACKS: Attack[] = [...SIGNING_FORGERIES, ...CONTENT_FORGERIES];
