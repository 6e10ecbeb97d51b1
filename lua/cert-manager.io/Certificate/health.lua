-- cert-manager Certificate: Issuing=True while a certificate is being issued, then the Ready condition.
local hs = {}
local conditions = nil
if obj.status ~= nil then
  conditions = obj.status.conditions
end
if conditions ~= nil then
  for _, c in ipairs(conditions) do
    if c.type == "Issuing" and c.status == "True" then
      hs.status = "Progressing"
      hs.message = c.message or "Issuing certificate"
      return hs
    end
  end
  for _, c in ipairs(conditions) do
    if c.type == "Ready" then
      if c.status == "True" then
        hs.status = "Healthy"
      elseif c.status == "False" then
        hs.status = "Degraded"
      else
        hs.status = "Progressing"
      end
      hs.message = c.message or ""
      return hs
    end
  end
end
hs.status = "Progressing"
hs.message = "Waiting for certificate"
return hs
