#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# $BROWSER for test_spotctl_login_browser: spotctl hands it the consent-page
# URL; tests/local/approve.mjs drives headless chromium through it (Approve)
# and saves a screenshot of the page the loopback helper shows.
exec node "$SPOTCTL_APPROVE_SCRIPT" "$1" "$SPOTCTL_SCREENSHOT"
