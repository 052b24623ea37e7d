/** The audience tokens must name unless AUTH_AUDIENCE says otherwise; the demo issuer signs for it. */
export const DEFAULT_AUDIENCE = 'shenguanzhixin-gateway';
