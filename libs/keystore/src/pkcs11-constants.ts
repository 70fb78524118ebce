/**
 * PKCS#11 3.0 values that pkcs11js (written against 2.40) does not export. From the OASIS
 * PKCS#11 3.0 base specification, pkcs11t.h.
 */
export const CKK_EC_EDWARDS = 0x40;
export const CKM_EC_EDWARDS_KEY_PAIR_GEN = 0x1055;
export const CKM_EDDSA = 0x1057;

/** CKA_EC_PARAMS of Ed25519: the DER-encoded object identifier id-Ed25519 (1.3.101.112). */
export const ED25519_EC_PARAMS = Buffer.from('06032b6570', 'hex');
