-- GET one product from many clients behind a trusted proxy: each request carries an
-- X-Forwarded-For address drawn from ADDRESSES (default 65,536) distinct ones, so that the
-- limiter keeps that many buckets, as in a promotion with many shoppers.
local addresses = tonumber(os.getenv("ADDRESSES") or "65536")

init = function(args)
  math.randomseed(os.time() + tonumber(tostring({}):match("0x(%x+)") or "0", 16) % 1000003)
end

request = function()
  local n = math.random(0, addresses - 1)
  local address = "10." .. math.floor(n / 65536) % 256 .. "." .. math.floor(n / 256) % 256 .. "." .. n % 256
  return wrk.format("GET", nil, { ["X-Forwarded-For"] = address })
end
