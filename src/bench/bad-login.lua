-- POST /api/v1/auth/login with a body that fails validation: the same request path as a
-- login, minus the password hash (the control for the login flood).
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Accept"] = "application/json"
wrk.body = '{"email":"not-an-email"}'
