-- Neovim 0.7 as a PerfLens client, headless: start the bundled server with vim.lsp.start_client
-- (0.7 has no vim.lsp.start), attach the file, wait for diagnostics, pick a quick-fix through
-- Neovim's own code-action flow (vim.lsp.buf.code_action → vim.ui.select), write the file, run a
-- command through workspace/executeCommand, and exit 0 on success, 1 otherwise. What happened goes
-- to PERFLENS_RESULT as JSON for the mocha test to check.
--
-- Inputs (environment): PERFLENS_NODE, PERFLENS_SERVER, PERFLENS_ROOT, PERFLENS_FILE,
-- PERFLENS_RULE and PERFLENS_LINE (the finding to fix, 1-based), PERFLENS_FIX (the fix's title),
-- PERFLENS_RESULT.
local env = vim.env
local result = { diagnostics = {}, actions = {}, showMessageRequests = 0, log = {} }
local TIMEOUT = 30000

local function say(message)
  table.insert(result.log, message)
end

local function finish(ok, err)
  result.ok = ok
  result.error = err
  local file = io.open(env.PERFLENS_RESULT, 'w')
  file:write(vim.fn.json_encode(result))
  file:close()
  vim.cmd(ok and 'qall!' or 'cquit 1')
end

local function wait_for(what, condition)
  if not vim.wait(TIMEOUT, condition, 20) then
    error('timed out waiting for ' .. what)
  end
end

local function run()
  vim.cmd('filetype on')
  vim.cmd('edit ' .. vim.fn.fnameescape(env.PERFLENS_FILE))
  local bufnr = vim.api.nvim_get_current_buf()

  local client_id = vim.lsp.start_client({
    name = 'perflens',
    cmd = { env.PERFLENS_NODE, env.PERFLENS_SERVER, '--stdio' },
    root_dir = env.PERFLENS_ROOT,
    workspace_folders = { { uri = vim.uri_from_fname(env.PERFLENS_ROOT), name = 'ws' } },
    -- What workspace/configuration answers, and where the embedded database is cached.
    settings = { perflens = { database = { dataSize = 2000 } } },
    init_options = { storagePath = env.PERFLENS_STORAGE },
    handlers = {
      -- The default handler waits for a key press; in headless mode that is forever. PerfLens must
      -- never need it, so it is counted here and the test expects zero.
      ['window/showMessageRequest'] = function()
        result.showMessageRequests = result.showMessageRequests + 1
        return vim.NIL
      end,
      ['window/logMessage'] = function(_, params)
        say(params.message)
      end,
    },
  })
  if not client_id then
    error('vim.lsp.start_client failed')
  end
  vim.lsp.buf_attach_client(bufnr, client_id)

  -- 0.7 does not pull diagnostics: the server pushes them, again once the workspace index (which
  -- knows the models of other files) is built.
  local line = tonumber(env.PERFLENS_LINE)
  wait_for(env.PERFLENS_RULE .. ' on line ' .. line, function()
    for _, d in ipairs(vim.diagnostic.get(bufnr, { lnum = line - 1 })) do
      if d.code == env.PERFLENS_RULE then
        return true
      end
    end
    return false
  end)
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    table.insert(result.diagnostics, { code = d.code, line = d.lnum + 1, source = d.source, message = d.message })
  end

  -- The quick-fix, through Neovim's own code-action flow: vim.ui.select is where a user would pick.
  vim.api.nvim_win_set_cursor(0, { line, 0 })
  local chosen = false
  vim.ui.select = function(items, opts, on_choice)
    local pick
    for _, item in ipairs(items) do
      local title = opts.format_item(item)
      table.insert(result.actions, title)
      if title == env.PERFLENS_FIX then
        pick = item
      end
    end
    chosen = pick ~= nil
    on_choice(pick)
  end
  vim.lsp.buf.code_action({ only = { 'quickfix' } })
  wait_for('the code-action menu', function()
    return #result.actions > 0
  end)
  if not chosen then
    error('no code action titled ' .. env.PERFLENS_FIX)
  end
  wait_for('the fix to change the buffer', function()
    return vim.bo[bufnr].modified
  end)
  vim.cmd('write')

  -- Commands run through workspace/executeCommand, as every LSP editor can. Without showDocument
  -- support the URL comes back as data.
  local client = vim.lsp.get_client_by_id(client_id)
  local response = client.request_sync('workspace/executeCommand', { command = 'perflens.showDocumentation', arguments = { 'n-plus-one' } }, TIMEOUT, bufnr)
  if not response or response.err then
    error('executeCommand failed: ' .. vim.inspect(response))
  end
  result.documentationUrl = response.result.url

  -- EXPLAIN of the SQLAlchemy query under the cursor, on the embedded database built from the
  -- models (the first build takes seconds): the result is data the client may show as it likes.
  local position
  for i, text in ipairs(vim.api.nvim_buf_get_lines(bufnr, 0, -1, false)) do
    local column = text:find('db.query(Owner)', 1, true)
    if column then
      position = { line = i - 1, character = column - 1 }
      break
    end
  end
  if not position then
    error('db.query(Owner) not found in the buffer')
  end
  local explained = client.request_sync('workspace/executeCommand', { command = 'perflens.explain', arguments = { { uri = vim.uri_from_bufnr(bufnr), position = position } } }, 150000, bufnr)
  if not explained or explained.err then
    error('perflens.explain failed: ' .. vim.inspect(explained))
  end
  result.explain = { origin = explained.result.origin, sql = explained.result.sql, summary = explained.result.summary, root = explained.result.plan.root.nodeType }

  vim.lsp.stop_client(client_id)
  wait_for('the server to stop', function()
    return vim.lsp.get_client_by_id(client_id) == nil
  end)
end

local ok, err = xpcall(run, debug.traceback)
finish(ok, err)
