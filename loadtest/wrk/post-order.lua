-- wrk script: POST a ~300-byte JSON order as one demo source.
-- Usage: wrk -t2 -c64 -d20s -s loadtest/wrk/post-order.lua http://127.0.0.1:8080/orders
-- KEY (default demo-web-key) and ENVIRONMENT (default production) come from the environment.
local key = os.getenv("KEY") or "demo-web-key"
local environment = os.getenv("ENVIRONMENT") or "production"

wrk.method = "POST"
wrk.headers["Authorization"] = "Bearer " .. key
wrk.headers["X-Upstream-Environment"] = environment
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"customer":"c-1029384756","channel":"web","currency":"EUR",'
  .. '"lines":[{"sku":"SKU-100234","qty":2,"price":"19.99"},{"sku":"SKU-100777","qty":1,"price":"5.49"},'
  .. '{"sku":"SKU-200001","qty":3,"price":"2.00"}],"shipping":{"method":"standard","zip":"10115","country":"DE"},'
  .. '"note":"leave at the door please"}'
