-- Commands available as soon as the plugin is on the runtimepath, before (or without) setup().
if vim.g.loaded_galley then
  return
end
vim.g.loaded_galley = true

vim.api.nvim_create_user_command('GalleyFixAll', function()
  require('galley').fix_all()
end, { desc = 'Galley: apply every safe fix (source.fixAll.galley) to the current draft' })
