/** ES256 keys used only by the test suite: never deploy them. The first signs; the second still verifies (rotation). */
export const testSigningKeys = {
  keys: [
    {
      kty: 'EC',
      x: 'dHFW7I8SVZ_rt-YG3ZJlPmJzOBGGOHJ8W9ImyXf0GDU',
      y: 'CliuKQ3PZDfOJCd2nr_et8YuZuMspSIBREIdH6jVkB0',
      crv: 'P-256',
      d: '0cZV3WYUv_K0uy6T6PLoMNTGdVzReLGv5gJC8Mr0AWI',
      kid: 'test-2026-b',
      alg: 'ES256',
      use: 'sig',
    },
    {
      kty: 'EC',
      x: 'p9FromfhKiocavM2LFR9yHKP0q1yHkJ4HGaBxo3Up68',
      y: '3yEzwLf7gDlCmff2vpBQ8B3bFabMzA0IIQHk1pEoOVI',
      crv: 'P-256',
      d: 'JUeIoZ4R4J2nZ4PSbc3GSSCSfACZiWqX_D9Qx-CIoIU',
      kid: 'test-2026-a',
      alg: 'ES256',
      use: 'sig',
    },
  ],
};

/** A well-formed key the server does not know, for forged-token cases. */
export const foreignSigningKey = {
  kty: 'EC',
  x: 'aZMIpADPCGX_QQCXg7IcqIiduPn21Blgz4_GseMSY44',
  y: 'z9f22YpRjYn_DrqhcLwQcMMF-U6tn5y66YEkhWyDSzA',
  crv: 'P-256',
  d: 'VjES_au6rT80SLddxM3hyOXaVvIZv9IyWbDzg8ZQErM',
  kid: 'test-2026-b',
  alg: 'ES256',
};
