import { type IdentitySigner, taggedHash, utf8, verifyTagged } from '#concord/crypto';
import { KeyStoreError } from './keystore-error.js';
import { readSecret } from './secret-source.js';
import type { Pkcs11KeyLocation } from './pkcs11-config.js';
import {
  CKK_EC_EDWARDS,
  CKM_EC_EDWARDS_KEY_PAIR_GEN,
  CKM_EDDSA,
  ED25519_EC_PARAMS,
} from './pkcs11-constants.js';
import { inToken, Pkcs11Token } from './pkcs11-token.js';

/** An identity signer whose secret never leaves the token, and the session it holds. */
export interface Pkcs11Identity {
  readonly agencyId: string | undefined;
  readonly signer: IdentitySigner;
  /** Ends this signer's use of the token session (logs out when it is the last user). */
  close(): void;
}

/**
 * Opens the Ed25519 key pair labelled `keyLabel`. The agency id, when the key was made by Concord,
 * is in the objects' CKA_ID. A test signature is verified against the public key before the
 * signer is handed out, so a private key that does not match its public object is caught here.
 */
export function openPkcs11Identity(
  location: Pkcs11KeyLocation,
  env: NodeJS.ProcessEnv = process.env,
): Pkcs11Identity {
  const token = Pkcs11Token.open(
    location.module,
    location.tokenLabel,
    readSecret(location.pin, 'PKCS#11 PIN', env),
  );
  try {
    return identityOn(token, location.keyLabel);
  } catch (e) {
    token.close();
    throw e;
  }
}

/**
 * Generates the key pair inside the token (CKM_EC_EDWARDS_KEY_PAIR_GEN): the private key is
 * sensitive and not extractable, so nothing, not even this process, ever sees it.
 */
export function generatePkcs11Identity(
  location: Pkcs11KeyLocation,
  agencyId: string,
  env: NodeJS.ProcessEnv = process.env,
): Pkcs11Identity {
  return create(location, env, (token) => {
    const c = token.constants;
    inToken(token, 'generating the Ed25519 key pair', () =>
      token.api.C_GenerateKeyPair(
        token.session,
        { mechanism: CKM_EC_EDWARDS_KEY_PAIR_GEN },
        publicTemplate(token, location.keyLabel, agencyId),
        [
          ...privateTemplate(token, location.keyLabel, agencyId),
          { type: c.CKA_KEY_TYPE, value: CKK_EC_EDWARDS },
        ],
      ),
    );
  });
}

/**
 * Imports an existing seed (migration from a key file), then keeps it as the token keeps a
 * generated key: sensitive and not extractable. The caller wipes its copy of the seed.
 */
export function importPkcs11Identity(
  location: Pkcs11KeyLocation,
  agencyId: string,
  seed: Uint8Array,
  publicKey: Uint8Array,
  env: NodeJS.ProcessEnv = process.env,
): Pkcs11Identity {
  return create(location, env, (token) => {
    const c = token.constants;
    inToken(token, 'importing the Ed25519 key', () => {
      token.api.C_CreateObject(token.session, [
        { type: c.CKA_CLASS, value: c.CKO_PRIVATE_KEY },
        { type: c.CKA_KEY_TYPE, value: CKK_EC_EDWARDS },
        { type: c.CKA_EC_PARAMS, value: ED25519_EC_PARAMS },
        { type: c.CKA_VALUE, value: Buffer.from(seed) },
        ...privateTemplate(token, location.keyLabel, agencyId),
      ]);
      token.api.C_CreateObject(token.session, [
        { type: c.CKA_CLASS, value: c.CKO_PUBLIC_KEY },
        { type: c.CKA_KEY_TYPE, value: CKK_EC_EDWARDS },
        // CKA_EC_POINT is the DER OCTET STRING of the 32-byte point, as tokens return it.
        { type: c.CKA_EC_POINT, value: Buffer.concat([Buffer.from([0x04, 0x20]), publicKey]) },
        ...publicTemplate(token, location.keyLabel, agencyId),
      ]);
    });
  });
}

function create(
  location: Pkcs11KeyLocation,
  env: NodeJS.ProcessEnv,
  make: (token: Pkcs11Token) => void,
): Pkcs11Identity {
  const token = Pkcs11Token.open(
    location.module,
    location.tokenLabel,
    readSecret(location.pin, 'PKCS#11 PIN', env),
  );
  try {
    const c = token.constants;
    if (
      token.find(c.CKO_PRIVATE_KEY, location.keyLabel) ||
      token.find(c.CKO_PUBLIC_KEY, location.keyLabel)
    )
      throw new KeyStoreError(
        'key-exists',
        `the PKCS#11 token "${location.tokenLabel}" already holds a key labelled "${location.keyLabel}"; not replaced`,
      );
    make(token);
    return identityOn(token, location.keyLabel);
  } catch (e) {
    token.close();
    throw e;
  }
}

/** What both halves of an identity key pair carry: stored on the token, the label, the agency. */
function namedTokenObject(token: Pkcs11Token, label: string, agencyId: string) {
  const c = token.constants;
  return [
    { type: c.CKA_TOKEN, value: true },
    { type: c.CKA_LABEL, value: label },
    { type: c.CKA_ID, value: Buffer.from(utf8(agencyId)) },
  ];
}

function publicTemplate(token: Pkcs11Token, label: string, agencyId: string) {
  const c = token.constants;
  return [
    ...namedTokenObject(token, label, agencyId),
    { type: c.CKA_VERIFY, value: true },
    { type: c.CKA_EC_PARAMS, value: ED25519_EC_PARAMS },
  ];
}

function privateTemplate(token: Pkcs11Token, label: string, agencyId: string) {
  const c = token.constants;
  return [
    ...namedTokenObject(token, label, agencyId),
    { type: c.CKA_PRIVATE, value: true },
    { type: c.CKA_SIGN, value: true },
    { type: c.CKA_SENSITIVE, value: true },
    { type: c.CKA_EXTRACTABLE, value: false },
  ];
}

/** The 32-byte point from CKA_EC_POINT: DER OCTET STRING (04 20 …) or, on some tokens, raw. */
function pointOf(value: Buffer, token: Pkcs11Token, label: string): Uint8Array {
  if (value.length === 34 && value[0] === 0x04 && value[1] === 0x20)
    return new Uint8Array(value.subarray(2));
  if (value.length === 32) return new Uint8Array(value);
  throw new KeyStoreError(
    'pkcs11-unsupported',
    `the public key labelled "${label}" in token "${token.label}" is not an Ed25519 point`,
  );
}

function identityOn(token: Pkcs11Token, keyLabel: string): Pkcs11Identity {
  const c = token.constants;
  const privateKey = token.find(c.CKO_PRIVATE_KEY, keyLabel);
  const publicObject = token.find(c.CKO_PUBLIC_KEY, keyLabel);
  if (!privateKey || !publicObject)
    throw new KeyStoreError(
      'pkcs11-key-not-found',
      `the PKCS#11 token "${token.label}" holds no ${privateKey ? 'public' : 'private'} key labelled "${keyLabel}"`,
    );
  const [point, id] = inToken(token, 'reading the public key', () =>
    token.api.C_GetAttributeValue(token.session, publicObject, [
      { type: c.CKA_EC_POINT },
      { type: c.CKA_ID },
    ]),
  );
  const publicKey = pointOf(point.value, token, keyLabel);
  const idBytes = id.value as Buffer | undefined;
  const agencyId = idBytes && idBytes.length > 0 ? idBytes.toString('utf8') : undefined;
  let closed = false;
  const signer: IdentitySigner = {
    publicKey,
    custody: 'pkcs11',
    signTagged(purpose, message) {
      if (closed)
        throw new KeyStoreError('pkcs11-failed', `the PKCS#11 signer "${keyLabel}" is closed`);
      const digest = Buffer.from(taggedHash(purpose, message));
      return inToken(token, `signing with "${keyLabel}"`, () => {
        token.api.C_SignInit(token.session, { mechanism: CKM_EDDSA }, privateKey);
        return new Uint8Array(token.api.C_Sign(token.session, digest, Buffer.alloc(64)));
      });
    },
  };
  const probe = utf8('concord key store self-test');
  if (
    !verifyTagged(
      publicKey,
      'concord/keystore/self-test/v1',
      probe,
      signer.signTagged('concord/keystore/self-test/v1', probe),
    )
  )
    throw new KeyStoreError(
      'key-mismatch',
      `the private key labelled "${keyLabel}" in token "${token.label}" does not sign for its public key`,
    );
  return {
    agencyId,
    signer,
    close() {
      if (closed) return;
      closed = true;
      token.close();
    },
  };
}
