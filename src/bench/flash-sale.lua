-- POST /api/v1/orders for one unit of PRODUCT_ID, as many retailers (one bearer token per
-- line of TOKENS_FILE, taken in turn). Counts answers by status. STOP_ON_409=1 ends a thread
-- at its first 409 (the product sold out); MAX_REQUESTS ends a thread after that many.
-- IDEMPOTENCY_KEYS=1 sends a new Idempotency-Key with every order (as careful clients do).
local tokens = {}
for line in io.lines(os.getenv("TOKENS_FILE")) do tokens[#tokens + 1] = line end
local product = os.getenv("PRODUCT_ID")
local stop_on_409 = os.getenv("STOP_ON_409") == "1"
local max_requests = tonumber(os.getenv("MAX_REQUESTS") or "0")
local with_keys = os.getenv("IDEMPOTENCY_KEYS") == "1"
local run = tostring(os.time()) .. "-" .. tostring(math.random(1, 1000000000))
local body = string.format('{"lines":[{"productId":"%s","quantity":1}]}', product)
local threads = {}

function setup(thread)
  thread:set("id", #threads)
  threads[#threads + 1] = thread
end

function init(args)
  sent, created, refused, other, next_token = 0, 0, 0, 0, id
end

function request()
  next_token = next_token % #tokens + 1
  sent = sent + 1
  local headers = { ["Content-Type"] = "application/json", ["Accept"] = "application/json",
    ["Authorization"] = "Bearer " .. tokens[next_token] }
  if with_keys then
    headers["Idempotency-Key"] = run .. "-" .. id .. "-" .. sent
  end
  return wrk.format("POST", "/api/v1/orders", headers, body)
end

function response(status, headers, body)
  if status == 201 then created = created + 1
  elseif status == 409 then refused = refused + 1
  else other = other + 1 end
  if (stop_on_409 and status == 409) or (max_requests > 0 and created + refused + other >= max_requests) then
    wrk.thread:stop()
  end
end

function done(summary, latency, requests)
  local c, r, o = 0, 0, 0
  for _, t in ipairs(threads) do
    c = c + t:get("created"); r = r + t:get("refused"); o = o + t:get("other")
  end
  io.write(string.format("answers created=%d insufficient_stock=%d other=%d\n", c, r, o))
end
