console.log('burnrate');
