-- A bot that forgot decide.
function init(info) end
