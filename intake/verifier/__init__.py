"""The machinery behind `intake.signatures`: CMS and PDF verification, trust and revocation, algorithm
dispatch (RSA, ECDSA, Ed25519 through `cryptography`; Kazakh GOST through `intake.gost`), the Kazakh
certificate profile, and `build` (test fixtures: a small PKI, CMS and PDF signing). Import the public
interface from `intake.signatures`."""
