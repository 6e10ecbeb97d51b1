-- Sealed Secrets SealedSecret: the controller's Synced condition, once it has seen this generation.
local hs = {status = "Progressing", message = "Waiting for the SealedSecret to be unsealed"}
if obj.status == nil then
  return hs
end
local generation = obj.metadata.generation
if generation ~= nil and obj.status.observedGeneration ~= nil and obj.status.observedGeneration ~= generation then
  return hs
end
for _, c in ipairs(obj.status.conditions or {}) do
  if c.type == "Synced" then
    if c.status == "True" then
      hs.status = "Healthy"
      hs.message = ""
    else
      hs.status = "Degraded"
      hs.message = c.message or "Failed to unseal"
    end
    return hs
  end
end
return hs
