-- First pages of the product list by category, rotating over every category.
-- UNCACHED=1 adds a distinct minPrice to each request so that none is served from the cache.
-- ADDRESSES=n sends each request with an X-Forwarded-For drawn from n addresses (a server that
-- trusts 127.0.0.1 as a proxy then limits them as n clients, refusing none).
local categories = {}
for line in io.lines(os.getenv("CATEGORIES_FILE")) do categories[#categories + 1] = line end
local uncached = os.getenv("UNCACHED") == "1"
local addresses = tonumber(os.getenv("ADDRESSES") or "0")
local n = 0

init = function(args)
  -- each wrk thread has its own Lua state: seed each differently
  math.randomseed(os.time() + tonumber(tostring({}):match("0x(%x+)") or "0", 16) % 1000003)
end

request = function()
  n = n + 1
  local path = wrk.path .. "?categoryId=" .. categories[(n % #categories) + 1]
  if uncached then
    path = path .. "&minPrice=" .. math.random(0, 400000)
  end
  if addresses > 0 then
    local a = math.random(0, addresses - 1)
    return wrk.format("GET", path, { ["X-Forwarded-For"] = "10." .. math.floor(a / 65536) % 256 .. "."
      .. math.floor(a / 256) % 256 .. "." .. a % 256 })
  end
  return wrk.format("GET", path)
end
