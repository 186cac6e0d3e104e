/* SPDX-License-Identifier: Apache-2.0 */
/*
 * auth/local_auth_page.c - the page the browser shows after the redirect:
 * self-contained (inline CSS, no scripts, images or fonts from anywhere) and
 * free of secrets (no code, state or token ever reaches it).
 */
#include "local_auth.h"

static const char page_head[] =
    "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
    "<meta name=\"referrer\" content=\"no-referrer\">"
    "<title>%s</title><style>"
    "body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;background:#121212;"
    "color:#fff;display:flex;align-items:center;justify-content:center;min-height:100vh;"
    "margin:0}main{max-width:32rem;padding:2rem;border-radius:12px;background:#1e1e1e;"
    "text-align:center}h1{font-size:1.5rem;margin:0 0 1rem}.ok{color:#1ed760}"
    ".fail{color:#f15e6c}p{line-height:1.5;color:#b3b3b3}"
    "</style></head><body><main>";

static void html_escape(spotify__strbuf *out, const char *s)
{
    for (; *s != '\0'; s++) {
        switch (*s) {
        case '<':
            spotify__strbuf_append_str(out, "&lt;");
            break;
        case '>':
            spotify__strbuf_append_str(out, "&gt;");
            break;
        case '&':
            spotify__strbuf_append_str(out, "&amp;");
            break;
        case '"':
            spotify__strbuf_append_str(out, "&quot;");
            break;
        case '\'':
            spotify__strbuf_append_str(out, "&#39;");
            break;
        default:
            spotify__strbuf_append_char(out, *s);
        }
    }
}

bool spotify__local_auth_page(spotify__strbuf *out, bool ok, const char *reason)
{
    spotify__strbuf_appendf(out, page_head, ok ? "Signed in" : "Sign-in failed");
    if (ok) {
        spotify__strbuf_append_str(out, "<h1 class=\"ok\" id=\"result\">You are signed in</h1>"
                                        "<p>The application received your authorization.</p>");
    } else {
        spotify__strbuf_append_str(out, "<h1 class=\"fail\" id=\"result\">Sign-in failed</h1>"
                                        "<p id=\"reason\">");
        html_escape(out, reason != NULL ? reason : "The authorization did not complete.");
        spotify__strbuf_append_str(out, "</p>");
    }
    spotify__strbuf_append_str(out, "<p>You can close this tab and return to the "
                                    "application.</p></main></body></html>\n");
    return !out->failed;
}
