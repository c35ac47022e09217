// The password length the server accepts (apps/server/src/services/auth/passwords.ts, PASSWORD_RULES.min), said
// once for every form that sets a password. The server judges every password again and its refusal is shown as is;
// this only lets a form say the rule before sending.
export const PASSWORD_MIN_LENGTH = 10;
