/* placeholder: implemented by the test-server work */
typedef int test_server_placeholder; /* replaced by the real server */
