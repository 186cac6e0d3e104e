# SPDX-License-Identifier: Apache-2.0
# Seed 003 (Client Credentials Authentication (design record)), "Context: a token response": lines 13-17 of ../shared/seeds/003_7ab0d8a6d45eb149.txt, verbatim.
{
   "access_token": "NgCXRKc...MzYjw",
   "token_type": "bearer",
   "expires_in": 3600
}
