-- First pages of the product list by category, rotating over every category.
-- UNCACHED=1 adds a distinct minPrice to each request so that none is served from the cache.
local categories = {}
for line in io.lines(os.getenv("CATEGORIES_FILE")) do categories[#categories + 1] = line end
local uncached = os.getenv("UNCACHED") == "1"
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
  return wrk.format("GET", path)
end
